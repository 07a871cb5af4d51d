"""The rule engines: eligibility of an istanza under an avviso, and allocation of the budget.

Everything that changes between avvisi (numbers, lists, dates, requirement kinds and their
parameters, caps, rankings) is data in ``avviso.py``'s definition objects, loaded from forms/.
"""
