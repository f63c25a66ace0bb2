vcl 4.1;
# healthlib's edge cache: Varnish (7.x, with the xkey vmod of Debian's
# varnish-modules) in front of the app servers. See docs/deployment.md.
#
# This file is a template: `manage.py edge_cache_vcl` fills the @…@ values
# (the backend, the purge secret from EDGE_CACHE_PURGE_SECRET, the
# addresses allowed to purge, the session cookie's name) and prints the VCL
# to give varnishd (-f).
#
# What it stores: only the pages the application says are the same for
# everyone, by naming their tags in an `xkey` header (readers' pages, the
# sitemap), and only without a Set-Cookie. Everything else passes: the
# admin, previews, the API, forms, a logged-in session, a flash message.
# What it purges: `PURGE /` with `xkey: tag1 tag2 ...`, from an address of
# the purgers ACL and with the secret header, exactly the objects with one
# of those tags (sent by every live change, conditions/publishing/edge.py).

import xkey;

backend default {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
@PURGERS@
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Purge-Secret != "@PURGE_SECRET@") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "An xkey header is required"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.x-purged + " object(s)"));
    }
    # Nothing the client says is an X-Cache or a purge secret upstream.
    unset req.http.X-Purge-Secret;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff's pages, previews (/preview/…, /es/preview/…), machines' APIs.
    if (req.url ~ "^/(admin|api|anymail)(/|$)" || req.url ~ "^(/[a-z]{2})?/preview/") {
        return (pass);
    }
    # A session (a logged-in editor; an anonymous one is answered by the
    # application's own page cache) or a flash message to show once.
    if (req.http.Cookie ~ "(^|;\s*)(@SESSION_COOKIE@|messages)=[^;]") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Every other reader gets the same page: no cookie reaches the
    # application (a language, a CSRF cookie from the admin's login form),
    # nor Accept-Language (the address decides the language: /es/…).
    unset req.http.Cookie;
    unset req.http.Accept-Language;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status == 200 && beresp.http.xkey && !beresp.http.Set-Cookie
        && beresp.http.Cache-Control !~ "(private|no-store|no-cache)") {
        # Until purged. The TTL only bounds a purge that never arrived
        # (the application logs those).
        set beresp.ttl = @TTL@;
        set beresp.grace = 10s;
        return (deliver);
    }
    # Not the same for everyone: never stored, and not waited on.
    set beresp.ttl = 60s;
    set beresp.uncacheable = true;
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The tags are for purging; the application's own cache verdict is of
    # the response Varnish stored, not of this one.
    unset resp.http.xkey;
    unset resp.http.X-Page-Cache;
}
