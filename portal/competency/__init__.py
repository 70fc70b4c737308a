"""ASN competency profiles: catalogue, position standards, ASN records, assessments, gaps."""
