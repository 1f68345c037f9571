"""Whether an e-mail address can prove that someone works at a center: only an address
at the center's own website domain counts, and never a free-mail service."""

from urllib.parse import urlsplit

# Free and consumer mail services: anyone can open an address there. The list is ours,
# kept short and common; a center whose website is on one of these can claim by phone.
FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com", "att.net", "comcast.net", "fastmail.com", "gmail.com", "gmx.com", "gmx.net",
        "googlemail.com", "hey.com", "hotmail.com", "icloud.com", "live.com", "mac.com", "mail.com",
        "me.com", "msn.com", "outlook.com", "pm.me", "proton.me", "protonmail.com", "rocketmail.com",
        "sbcglobal.net", "tutanota.com", "verizon.net", "yahoo.com", "yandex.com", "ymail.com",
        "zoho.com", "zohomail.com",
    }
)  # fmt: skip


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def website_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def is_free_mail(email: str) -> bool:
    domain = email_domain(email)
    return domain in FREE_MAIL_DOMAINS or any(domain.endswith("." + free) for free in FREE_MAIL_DOMAINS)


def email_matches_website(email: str, website: str) -> bool:
    """True for jo@harborclinic.org or jo@mail.harborclinic.org when the site is www.harborclinic.org."""
    domain, site = email_domain(email), website_domain(website)
    if not domain or not site or "." not in site or is_free_mail(email):
        return False
    return domain == site or domain.endswith("." + site)
