"""Build hook: ``templates/`` and ``static/`` sit at the top of the checkout (the design
card's layout) and travel in the wheel inside the package, as ``factcheck/templates`` and
``factcheck/static``, where ``create_app`` looks first.

Everything else about the build is in pyproject.toml, their ``package-data`` included;
this file only maps the two folders into the package, which pyproject.toml cannot do
next to a package search.
"""

from setuptools import find_namespace_packages, setup

#: package in the wheel → folder in the checkout (its subfolders follow)
DATA_PACKAGES = {"factcheck.templates": "templates", "factcheck.static": "static"}


def packages() -> list[str]:
    found = find_namespace_packages(include=["factcheck*"])
    for name, folder in DATA_PACKAGES.items():
        found += [name] + [f"{name}.{sub}" for sub in find_namespace_packages(folder)]
    return found


setup(packages=packages(), package_dir=DATA_PACKAGES)
