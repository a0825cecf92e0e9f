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
    ("consent_on_file", "Consent on file since", False, 10),
    ("sensitive_area_consent_on", "Sensitive-area form", False, 10),
    ("pressure_limit", "Pressure limit (1-10)", False, 2),
    ("contraindications", "Contraindications", True, 20_000),
    ("health_history", "Health history", True, 20_000),
)
# short fields that share a line (80x24: the whole form in view)
_ROWS = {"date_of_birth": "born", "phone": "born", "consent_on_file": "consent",
         "sensitive_area_consent_on": "consent", "pressure_limit": "consent"}
_PLACEHOLDERS = {"consent_on_file": "YYYY-MM-DD", "sensitive_area_consent_on": "date signed",
                 "pressure_limit": "blank: none"}


_DATE = r"[0-9-]*"
_RESTRICT = {"date_of_birth": _DATE, "consent_on_file": _DATE, "sensitive_area_consent_on": _DATE,
             "pressure_limit": r"[0-9]{0,2}"}


def client_dialog(client_id: int | None = None, initial: dict | None = None,
                  on_saved: Callable[[int], None] | None = None) -> FormDialog:
    """A dialog that creates (client_id None) or updates a client; returns the typed dict."""
    initial = initial or {}
    specs = [FieldSpec(key, label, str(initial.get(key) or ""), multiline=multi, max_length=n,
                       restrict=_RESTRICT.get(key), row=_ROWS.get(key, ""),
                       placeholder=_PLACEHOLDERS.get(key, ""))
             for key, label, multi, n in CLIENT_FIELDS]
    signed = bool(initial.get("sensitive_area_consent_on"))

    def save(services, data: dict) -> int:
        values = dict(data)  # "" is "not given" for the dates and the limit too
        if signed and not (values.get("sensitive_area_consent_on") or "").strip():
            values["sensitive_area_consent"] = False  # the signed date taken away: no form
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
