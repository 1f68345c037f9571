from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from directory.fragments import FRAGMENT_SECONDS
from directory.models import Center
from directory.shortlist import SHORTLIST_MAX

DEMO_FLAG_KEY = "directory:demo-data-present"
# Every page asks whether demo centers exist (for the demo notice). The answer is kept this
# long; saving or deleting a center forgets it at once (in this process, and in every
# process when the cache is shared, as Redis is in production).
DEMO_FLAG_SECONDS = 30


def demo_data_present() -> bool:
    present = cache.get(DEMO_FLAG_KEY)
    if present is None:
        present = Center.objects.filter(is_demo=True).exists()
        cache.set(DEMO_FLAG_KEY, present, DEMO_FLAG_SECONDS)
    return present


def demo_flag_forget(**_signal) -> None:
    """Ask the database again on the next page (after centers were added or removed)."""
    cache.delete(DEMO_FLAG_KEY)


def demo_flag_connect() -> None:
    """Called by the app's ready(): every process forgets the flag when a center changes.
    Bulk writes send no signal: directory.generate calls demo_flag_forget() itself."""
    post_save.connect(demo_flag_forget, sender=Center, dispatch_uid="directory.demo_flag.save")
    post_delete.connect(demo_flag_forget, sender=Center, dispatch_uid="directory.demo_flag.delete")


def site(request) -> dict:
    """What every page needs: the demo notice flag and the site's settings for templates."""
    return {
        "demo_data_present": demo_data_present(),
        "site_name": "Depression Treatment Finder",
        "shortlist_max": SHORTLIST_MAX,  # the most centers a shortlist keeps (directory/shortlist.py)
        "fragment_seconds": FRAGMENT_SECONDS,  # {% cache %} blocks kept under directory/fragments.py's versions
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
