"""SQLModel tables, one module per aggregate.

Empty until the registry (signals, cases, obligations) is built; the deadline
engine needs no storage beyond the calendar settings file.
"""
