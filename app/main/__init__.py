"""The main domain: routes.py (views), service.py (operations), forms.py, pure rules."""
