"""Demo data: a realistic department and two academic years of its story, created by
``flask --app wsgi seed-demo``.

- ``department``: the accounts, hosts and offers (``seed``, the command's entry point);
- ``years``: the previous and the running academic year, told through the services by
  ``previous_year``, ``running_year`` and ``abroad``, with the steps they share in ``steps``.
"""
from app.demo.department import DEMO_DOMAIN, DEMO_PASSWORD, seed

__all__ = ["DEMO_DOMAIN", "DEMO_PASSWORD", "seed"]
