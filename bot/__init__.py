"""Flipside's core: settings, the app factory, the clock, the scheduler and the domain rules."""
