"""Flows: one use case each. Read, decide with the rules, write in one transaction, return an outcome the handler renders."""
