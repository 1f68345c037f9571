from django import template

from directory.formatting import miles, tel

register = template.Library()

register.filter("tel", tel)
register.filter("miles", miles)


@register.simple_tag
def page_links(page) -> list:
    """Page numbers to link to, with the paginator's ellipsis for a gap: 1 … 4 5 6 7 8 … 12."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
