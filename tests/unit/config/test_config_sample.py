"""etc/mistral.conf.sample must be regenerated when options change."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_sample_config_is_up_to_date(tmp_path):
    out = tmp_path / "sample.conf"
    subprocess.run(
        [sys.executable, "-m", "oslo_config.generator", "--namespace", "mistral", "--wrap-width", "79", "--output-file", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with open(os.path.join(ROOT, "etc", "mistral.conf.sample")) as f:
        committed = f.read()
    assert out.read_text() == committed, "etc/mistral.conf.sample is stale: run 'tox -e genconfig'"


def test_option_names_follow_the_original():
    from oslo_config import cfg

    from mistral import config

    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    conf([], default_config_files=[])
    assert conf.api.port == 8989
    assert conf.engine.execution_field_size_limit_kb == 1024
    assert conf.pecan.auth_enable is False
    assert "169.254.0.0/16" in conf.action_std_http.denied_cidrs
    assert conf.database.connection.startswith("sqlite")
