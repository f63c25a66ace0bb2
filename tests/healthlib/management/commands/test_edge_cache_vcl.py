"""manage.py edge_cache_vcl: the VCL for this deployment, or a clear error."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

SECRET = "0123456789abcdef0123456789abcdef"


def vcl(settings, *args, secret=SECRET):
    settings.EDGE_CACHE_PURGE_SECRET = secret
    out = StringIO()
    call_command("edge_cache_vcl", *args, stdout=out)
    return out.getvalue()


def test_the_vcl_has_this_deployments_values(settings):
    text = vcl(settings, "--backend", "10.0.0.5:8001", "--purger", "10.0.0.0/24", "--ttl", "2h")
    assert "@" not in text.replace("@…@", "")
    assert '.host = "10.0.0.5";' in text and '.port = "8001";' in text
    assert '"10.0.0.0"/24;' in text and f'!= "{SECRET}"' in text
    assert "set beresp.ttl = 2h;" in text
    assert "(sessionid|messages)=" in text


@pytest.mark.parametrize(
    "args, secret, message",
    [
        ((), "", "EDGE_CACHE_PURGE_SECRET must be set"),
        ((), 'short"', "EDGE_CACHE_PURGE_SECRET must be set"),
        (("--backend", "nohost"), SECRET, "give HOST:PORT"),
        (("--purger", "not-a-network"), SECRET, "not an address or network"),
        (("--ttl", "forever"), SECRET, "give a duration"),
    ],
)
def test_bad_values_are_refused_with_a_message(settings, args, secret, message):
    with pytest.raises(CommandError, match=message):
        vcl(settings, *args, secret=secret)


@pytest.mark.skipif(not shutil.which("varnishd"), reason="varnishd is not installed")
def test_varnish_compiles_it(settings, tmp_path):
    path = tmp_path / "healthlib.vcl"
    path.write_text(vcl(settings))
    tmp_path.chmod(0o755)
    result = subprocess.run(
        ["varnishd", "-C", "-j", "none", "-f", str(path), "-n", str(tmp_path / "n")],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if "xkey" in result.stderr and "Could not find VMOD" in result.stderr:
        pytest.skip("the xkey vmod (varnish-modules) is not installed")
    assert result.returncode == 0, result.stderr[-2000:]
