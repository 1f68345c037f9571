"""An index of the full-text document by word, with each published center's rank for it.

A ranked text search must otherwise read and rank every center that carries the word
before it can show the first 20: ten times the work with ten times the directory. One row
per (word, center) with the center's `ts_rank` for that word alone lets PostgreSQL read a
one-word search's page in rank order from a B-tree and count it from the same index
(directory/search/query.py). The rows are kept by database triggers on `directory_center`
(migration 0016), so every write of a center, by the admin, an import or a bulk update,
keeps them true; they exist on PostgreSQL only (SQLite has no `search_vector`).
"""

from django.db import models


class SearchTerm(models.Model):
    """Written only by the triggers; never by Django."""

    pk = models.CompositePrimaryKey("center", "lexeme")
    # No database constraint: the delete trigger removes a center's rows (a foreign key
    # would make Django collect them in Python on every delete of a center).
    center = models.ForeignKey("directory.Center", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    lexeme = models.TextField()  # a word of search_vector as PostgreSQL's 'english' configuration stems it
    rank = models.FloatField()  # ts_rank(center.search_vector, that word): a real, as ts_rank returns
    name = models.TextField()  # the center's name, the order's tie-break, copied so the index holds the order

    class Meta:
        indexes = [
            models.Index(fields=["lexeme", "-rank", "name", "center"], name="searchterm_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme} {self.center_id}"
