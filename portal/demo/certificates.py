"""The demo's signing official for training certificates (STTPP): a fictional Kepala BKPSDM
Kota Medan, set in the configuration before the demo completes its trainings, so the demo's
certificates carry a signature block (the official is copied onto each certificate when it is
issued; the running portal needs no setting to show them)."""

from __future__ import annotations

from flask import current_app

#: Fictional: no real official's name or NIP (UU 27/2022 PDP).
DEMO_SIGNER = {
    "CERTIFICATE_SIGNER_NAME": "Dr. Hj. Rahmawati Siregar, S.STP, M.Si",
    "CERTIFICATE_SIGNER_NIP": "197503122000032002",
    "CERTIFICATE_SIGNER_POSITION": "Kepala BKPSDM Kota Medan",
}


def use_demo_signing_official(app=None) -> bool:
    """Name the demo's signing official unless the configuration already names one (a real
    setting always wins). Returns True when the demo's official was set."""
    config = (app or current_app).config
    if config.get("CERTIFICATE_SIGNER_NAME"):
        return False
    config.update(DEMO_SIGNER)
    return True
