"""Finding a client by name among every client, whatever the accents and case."""

from notes_tui.services import clients


def _many(ctx, n: int, extra: list[str]) -> None:
    with ctx.write() as s:
        for i in range(n):
            clients.create_client({"name": f"Aaron Client {i:04d}"}, session=s, actor="Ana")
        for name in extra:
            clients.create_client({"name": name}, session=s, actor="Ana")


def test_garcia_finds_garcia_among_600_clients(ctx):
    # 600 clients sort before her by name: the old search looked at the first 500 only
    _many(ctx, 600, ["Zoë García", "Ana Garcia", "Luis Garcés"])
    with ctx.read() as s:
        found = [c.name for c in clients.find_clients("garcia", session=s)]
        page = [c.name for c in clients.list_clients(session=s, query="GARCÍA")]
        zoe = [c.name for c in clients.find_clients("zoe", session=s)]
    assert found == ["Ana Garcia", "Zoë García"]  # equally good: in name order
    assert page == ["Ana Garcia", "Zoë García"]
    assert zoe == ["Zoë García"]


def test_best_match_first_and_archived_left_out(ctx):
    _many(ctx, 3, ["Jane Doe", "Doe Jansen", "Dorothy Oe"])
    with ctx.write() as s:
        archived = clients.create_client({"name": "Janet Doering"}, session=s, actor="Ana")
        clients.archive_client(archived.id, session=s, actor="Ana")
    with ctx.read() as s:
        # a name's start, then a word's start, then its letters in order
        assert [c.name for c in clients.find_clients("doe", session=s)] == [
            "Doe Jansen", "Jane Doe", "Dorothy Oe"]
        assert [c.name for c in clients.find_clients("jdoe", session=s)] == ["Jane Doe"]
        with_archived = clients.find_clients("doe", session=s, include_archived=True)
        assert "Janet Doering" in [c.name for c in with_archived]
