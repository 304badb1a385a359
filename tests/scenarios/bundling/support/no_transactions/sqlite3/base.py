from tests.scenarios.bundling.support.engines import database_wrapper

DatabaseWrapper = database_wrapper("sqlite3", supports_transactions=False)
