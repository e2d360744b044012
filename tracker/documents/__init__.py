"""Documents applicants upload: the signed project agreement of an application, as a PDF."""
