"""Steps of the uninstall/reinstall scenario. Each module has ``main(env, params)`` returning a
JSON-able dict; tests_lifecycle/test_uninstall.py runs them in ``odoo-bin shell`` processes.
Nothing here is imported by the add-on or by the pytest process."""
