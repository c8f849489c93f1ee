"""Links between use cases found to be the same work (or related) across org units."""

from django.conf import settings
from django.db import models


class LinkKind(models.TextChoices):
    DUPLICATE_OF = "duplicate_of", "duplicate of"
    RELATED_TO = "related_to", "related to"


class UseCaseLink(models.Model):
    """`from_use_case` is a duplicate of / related to `to_use_case`, and why."""

    from_use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="links_out"
    )
    to_use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_use_case", "to_use_case", "kind"], name="use_case_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_use_case=models.F("to_use_case")),
                name="use_case_link_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_use_case_id} {self.kind} {self.to_use_case_id}"


class SnapshotStatus(models.TextChoices):
    BUILDING = "building", "building"
    READY = "ready", "ready"
    SUPERSEDED = "superseded", "superseded"


class SimilaritySnapshot(models.Model):
    """One persisted build of the similarity index (`snapshots.py`): what pages read.

    Written only by the task worker (`tasks.rebuild_index`). Its rows are written while it
    is BUILDING (invisible to readers); one short transaction makes it READY and the one
    before SUPERSEDED, so a reader sees one whole snapshot or the one before."""

    signature = models.CharField(max_length=200)
    status = models.CharField(
        max_length=12, choices=SnapshotStatus.choices, default=SnapshotStatus.BUILDING
    )
    built_at = models.DateTimeField()
    build_seconds = models.FloatField(default=0.0)
    documents = models.IntegerField(default=0)
    confidential = models.IntegerField(default=0)
    neighbours = models.IntegerField(default=0)
    pairs = models.IntegerField(default=0)
    index_bytes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="similarity_snapshot_ready")]

    def __str__(self) -> str:
        return f"snapshot {self.pk} ({self.status}, {self.documents} use cases)"


class SimilarityChunk(models.Model):
    """A piece of a snapshot's fitted index, serialised (`snapshots.load_index`)."""

    snapshot = models.ForeignKey(SimilaritySnapshot, on_delete=models.CASCADE, related_name="+")
    seq = models.IntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "seq"], name="similarity_chunk_unique")
        ]

    def __str__(self) -> str:
        return f"snapshot {self.snapshot_id} chunk {self.seq}"


class SimilarNeighbour(models.Model):
    """`other` is among `use_case`'s nearest use cases in a snapshot: the raw text score
    (`methods.py`), the calibrated strength (`calibration.py`) and the words they share.
    Plain ids, not foreign keys: visibility is applied when read, and a deleted use case
    simply stops being visible."""

    snapshot = models.ForeignKey(
        SimilaritySnapshot, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    use_case_id = models.IntegerField()
    other_id = models.IntegerField()
    text_score = models.FloatField()
    strength = models.FloatField()
    terms = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "use_case_id"], name="similar_neighbour_of"),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} ~ {self.other_id} ({self.text_score:.3f})"
