"""The closed vocabularies of a session note. Values are stored as text, so never rename one."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"

    @property
    def label(self) -> str:
        return {"left": "Left", "right": "Right", "bilateral": "Both sides"}[self.value]

    def other(self) -> Side:
        """The opposite side, for 'copy this row to the other side'."""
        return {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}.get(self, self)


class SessionTechnique(StrEnum):
    NEUROMUSCULAR = "neuromuscular"
    SWEDISH = "swedish"
    DEEP_TISSUE = "deep_tissue"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "neuromuscular": "Neuromuscular therapy",
            "swedish": "Swedish massage",
            "deep_tissue": "Deep tissue massage",
            "other": "Other",
        }[self.value]


class PainNotRated(StrEnum):
    """Why a pain score (before or after) has no number: not every session asks for one, and a
    client may decline to rate."""

    NOT_ASKED = "not_asked"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"not_asked": "not asked", "declined": "client declined to rate"}[self.value]


class NoteStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class TriggerPointActivity(StrEnum):
    ACTIVE = "active"
    LATENT = "latent"


class TriggerPointTechnique(StrEnum):
    ISCHEMIC_COMPRESSION = "ischemic_compression"
    PIN_AND_STRETCH = "pin_and_stretch"
    STRIPPING = "stripping"
    MUSCLE_ENERGY = "muscle_energy"
    POSITIONAL_RELEASE = "positional_release"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class TriggerPointResponse(StrEnum):
    RELEASED = "released"
    REDUCED = "reduced"
    REFERRAL_REPRODUCED = "referral_reproduced"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return {
            "released": "Released",
            "reduced": "Reduced",
            "referral_reproduced": "Referral reproduced",
            "unchanged": "Unchanged",
        }[self.value]

    @property
    def client_wording(self) -> str:
        """How the response reads on the client's handout."""
        return {
            "released": "eased during treatment",
            "reduced": "eased somewhat",
            "referral_reproduced": "reproduced your familiar pain, then we worked on it",
            "unchanged": "did not change much this time",
        }[self.value]


class RomResult(StrEnum):
    FULL = "full"
    LIMITED = "limited"
    DEGREES = "degrees"


class MuscleFindingKind(StrEnum):
    HYPERTONIC = "hypertonic"
    TENDER = "tender"
    TAUT_BAND = "taut_band"
    WEAK = "weak"
    SHORTENED = "shortened"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    FINALIZE = "finalize"
    AMEND = "amend"
    EXPORT = "export"
    ARCHIVE = "archive"
    RESTORE = "restore"  # an archived client brought back
    IMPORT = "import"
    DISCARD = "discard"  # a draft deleted (the event names the note id)
    # a deletion the app made: a client with no notes, or a client's records past retention
    # (client, notes, amendments: one event each, naming the id, never the content)
    DELETE = "delete"
    BACKUP = "backup"  # a verified backup taken (entity "database"; digest: the file's sha256)


class SinceResponse(StrEnum):
    """How the client says the body responded to the last treatment (asked at a follow-up)."""

    BETTER_AT_ONCE = "better_at_once"
    BETTER_AFTER = "better_after"
    SORE = "sore"
    NO_CHANGE = "no_change"
    WORSE = "worse"

    @property
    def label(self) -> str:
        return {"better_at_once": "better at once", "better_after": "better after a day or two",
                "sore": "sore", "no_change": "no change", "worse": "worse"}[self.value]


class HomeCareDone(StrEnum):
    """Whether the client did the home care given last time."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def label(self) -> str:
        return self.value


class Modality(StrEnum):
    """What was done in a region: the work rows of a session beyond its trigger points."""

    NMT = "nmt"  # first: a new row's default, then m cycles on in this order
    SWEDISH = "swedish"
    DEEP_TISSUE = "deep_tissue"
    MYOFASCIAL_RELEASE = "myofascial_release"
    MET_PIR = "met_pir"
    PNF = "pnf"
    PASSIVE_STRETCH = "passive_stretch"
    JOINT_MOBILISATION = "joint_mobilisation"
    HEAT = "heat"
    COLD = "cold"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The record's name."""
        return {"swedish": "Swedish", "deep_tissue": "Deep tissue",
                "myofascial_release": "Myofascial release", "nmt": "NMT",
                "met_pir": "MET/PIR", "pnf": "PNF stretching", "passive_stretch": "Passive stretch",
                "joint_mobilisation": "Joint mobilisation", "heat": "Heat", "cold": "Cold",
                "other": "Other"}[self.value]

    @property
    def plain(self) -> str:
        """The client's words, completing "... on your lower back"."""
        return {"swedish": "relaxing massage", "deep_tissue": "deep massage",
                "myofascial_release": "slow stretching of the connective tissue",
                "nmt": "focused work on tight spots", "met_pir": "gentle contract-and-relax "
                "stretches", "pnf": "assisted contract-and-relax stretches",
                "passive_stretch": "stretches done for you", "joint_mobilisation":
                "gentle joint movement", "heat": "heat", "cold": "cold",
                "other": "hands-on work"}[self.value]


class WorkPressure(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    FIRM = "firm"

    @property
    def label(self) -> str:
        return self.value

    @property
    def lowest(self) -> int:
        """The lowest score out of 10 the word means (light 1-3, moderate 4-6, firm 7-10): a
        row is above a client's pressure limit when even this is."""
        return {"light": 1, "moderate": 4, "firm": 7}[self.value]

    def next(self) -> WorkPressure | None:
        order = list(WorkPressure)
        i = order.index(self)
        return order[i + 1] if i + 1 < len(order) else None
