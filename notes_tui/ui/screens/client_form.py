"""The add / edit client dialog: a FormDialog whose save runs the client service in a worker."""

from __future__ import annotations

from collections.abc import Callable

from notes_tui.ui.dialogs import FieldSpec, FormDialog

CLIENT_FIELDS = (
    ("name", "Name (required)", False, 200),
    ("preferred_name", "Preferred name", False, 200),
    ("date_of_birth", "Date of birth (YYYY-MM-DD)", False, 10),
    ("phone", "Phone", False, 50),
    ("email", "Email", False, 200),
    ("consent_on_file", "Consent on file since (YYYY-MM-DD)", False, 10),
    ("contraindications", "Contraindications", True, 20_000),
    ("health_history", "Health history", True, 20_000),
)


def client_dialog(client_id: int | None = None, initial: dict | None = None,
                  on_saved: Callable[[int], None] | None = None) -> FormDialog:
    """A dialog that creates (client_id None) or updates a client; returns the typed dict."""
    initial = initial or {}
    specs = [FieldSpec(key, label, str(initial.get(key) or ""), multiline=multi, max_length=n,
                       restrict=r"[0-9-]*" if key in ("date_of_birth", "consent_on_file")
                       else None)
             for key, label, multi, n in CLIENT_FIELDS]

    def save(services, data: dict) -> int:
        values = dict(data)  # "" is "not given" for the dates too
        if client_id is None:
            new_id = services.clients.create(values).id
        else:
            new_id = services.clients.update(client_id, values).id
        data["id"] = new_id  # handed back with the dialog's result (the list selects it)
        return new_id

    title = "Add a client" if client_id is None else "Edit client"
    return FormDialog(title, specs, save=save)


def client_initial(client) -> dict:
    """The form's values of a client (`services.clients.get`): "" for a date not given."""
    return {key: ("" if getattr(client, key) is None else
                  getattr(client, key).isoformat() if hasattr(getattr(client, key), "isoformat")
                  else getattr(client, key))
            for key, *_ in CLIENT_FIELDS} | {"name_display": client.name,
                                              "archived": client.archived}
