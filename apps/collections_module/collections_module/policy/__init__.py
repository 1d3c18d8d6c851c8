"""Policy core of collections_module.

Pure Python over plain data: no ``import frappe`` anywhere in this package, so every rule can be
tested with plain pytest on any machine. The Frappe layer gathers data, calls these functions and
stores what they return.
"""
