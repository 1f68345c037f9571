from django.conf import settings

from directory.models import Center


def site(request) -> dict:
    """What every page needs: the demo notice flag and the treatments for the header search."""
    return {
        "demo_data_present": Center.objects.filter(is_demo=True).exists(),
        "site_name": "Depression Treatment Finder",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
