from tests.scenarios.bundling.support.engines import database_wrapper

DatabaseWrapper = database_wrapper("mysql")
