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
from directory.models.imports import ImportRun
from directory.models.listings import (
    AccessLink,
    CenterClaim,
    ChangeProposal,
    ListingAction,
    ListingSubmission,
    Representation,
    Representative,
)
from directory.models.medicare import MedicareBilling
from directory.models.outreach import Inquiry, InquiryView, ProblemReport, Verification
from directory.models.search import SearchTerm

__all__ = [
    "AccessLink",
    "CenterClaim",
    "ChangeProposal",
    "ListingAction",
    "ListingSubmission",
    "Representation",
    "Representative",
    "AgeGroup",
    "CareSetting",
    "Center",
    "CenterQuerySet",
    "CenterTreatment",
    "CrisisService",
    "ImportRun",
    "Inquiry",
    "InquiryView",
    "Language",
    "Location",
    "MedicareBilling",
    "PaymentOption",
    "ProblemReport",
    "SearchTerm",
    "Treatment",
    "Verification",
]
