"""The competency dictionary (kamus kompetensi): managerial, socio-cultural and technical
competencies with versioned wording, managed by admins (an OPD admin: its own OPD's technical ones)."""
