"""sopcli — реестр семей и несовершеннолетних в СОП для КДН и ЗП.

The package is split so that the deadline core (`sopcli.deadlines`) can be used
without the terminal or a database; see STYLE.md in the design notes.
"""

__version__ = "0.1.0"
