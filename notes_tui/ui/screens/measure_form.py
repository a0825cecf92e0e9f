"""Recording an outcome measure (from a client's screen, o): pick the measure (type to filter),
then the day and one line an item, 'Climbing stairs: 4'. The fixed items, or the activities the
client named last time, are filled in; an item left without a score was not asked."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from notes_tui.ui.dialogs import FieldSpec, FormDialog, PickerDialog


def measure_picker(measures: dict) -> PickerDialog:
    def search(query: str) -> list[tuple[str, Text]]:
        q = query.strip().lower()
        return [(m.id, Text(f"{m.short}: {m.name}")) for m in measures.values()
                if not q or q in m.name.lower() or q in m.short.lower() or q in m.id]

    return PickerDialog("Outcome measure", search, free_text=False)


def measure_dialog(client_id: int, defn, *, items: str, today: date) -> FormDialog:
    label = "Items, one a line, 'item: score'"
    if defn.named_items:
        label = f"Activities the client names (up to {defn.named_items}): 'Climbing stairs: 4'"
    specs = [FieldSpec("taken_on", "Taken on (YYYY-MM-DD)", today.isoformat(), max_length=10,
                       restrict=r"[0-9-]*"),
             FieldSpec("items", label, items, multiline=True, max_length=4000)]
    measure_id = defn.id

    def save(services, data: dict) -> int:
        return services.clients.add_measure(client_id, measure_id, taken_on=data["taken_on"],
                                            items=data["items"]).id

    title = f"{defn.name} ({defn.short}), each {defn.range_text}" + (
        f": {defn.anchors}" if defn.anchors else "")
    return FormDialog(title, specs, save=save)
