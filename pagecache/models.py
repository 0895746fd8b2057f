from django.db import models


class Version(models.Model):
    """A change counter, advanced by the triggers of `pagecache.watch` (never written by Python,
    except the random `epoch` row that separates one database's counters from a truncated one's)."""

    key = models.CharField(max_length=80, primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        db_table = "pagecache_version"

    def __str__(self):
        return f"{self.key}={self.n}"
