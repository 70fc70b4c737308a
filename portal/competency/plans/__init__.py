"""Individual development plans: per ASN and year, activities, the plan workflow and its pages."""
