"""What the public sends about a listing, and what staff do with it.

- `forms.py`, `views.py`: the "Ask this center" and "Report a problem" forms and pages;
- `abuse.py`: honeypot, form stamp and per-address limits in front of both;
- `services.py`: storing inquiries and reports, notifying, purging, verifications;
- `admin.py`: inquiries (Intake only, every opening recorded), problem reports,
  verifications, and what they add to the center's admin page; registered when
  `directory/admin.py` imports it, never by importing anything else;
- `history.py`: the public change log of a center.

The models live with the app's others, in `directory/models/outreach.py`.
"""
