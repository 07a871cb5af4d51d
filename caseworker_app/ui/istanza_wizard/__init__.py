"""The istanza wizard ("Nuova istanza") with the live eligibility panel, and the istanza detail.

Open the wizard for a case with ``IstanzaWizardView(session, case_id=..., person=...)``
(``istanza_id=`` to continue a draft) and show it; the detail of an istanza with
``IstanzaDetailView(session, istanza_id=...)``.
"""
