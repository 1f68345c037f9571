from directory.models.centers import (
    AgeGroup,
    CareSetting,
    Center,
    CenterQuerySet,
    CenterTreatment,
    CrisisService,
    Language,
    Location,
    PaymentOption,
    Treatment,
)
from directory.models.outreach import Inquiry, InquiryView, ProblemReport, Verification

__all__ = [
    "AgeGroup",
    "CareSetting",
    "Center",
    "CenterQuerySet",
    "CenterTreatment",
    "CrisisService",
    "Inquiry",
    "InquiryView",
    "Language",
    "Location",
    "PaymentOption",
    "ProblemReport",
    "Treatment",
    "Verification",
]
