"""Packaging lives in setup.cfg; this stub lets ``pip install -e .`` work on old pips."""
from setuptools import setup

setup()
