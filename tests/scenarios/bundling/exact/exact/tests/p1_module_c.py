from exact.tests import classes_after_a_bundle


C_PlainTests, D_NextBundleTests, E_NextBundleTests = classes_after_a_bundle(__name__)
