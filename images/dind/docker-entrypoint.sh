#!/bin/sh
# docker-entrypoint.sh: the entrypoint of the docker CLI image (scripts/make-dind-image --cli),
# as docker:cli's: it points the client at the dind service the way GitLab's documentation
# expects, so a job needs no more than DOCKER_TLS_CERTDIR (and maybe DOCKER_HOST):
#   DOCKER_HOST unset and no /var/run/docker.sock  ->  tcp://docker:2376 with TLS when the
#                                                      client certs are there, else :2375
#   client certs in $DOCKER_TLS_CERTDIR/client      ->  DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH
# A first argument starting with '-' is docker's (`--version` -> `docker --version`); any other
# command (the job's shell) runs as is.
set -eu

certs=${DOCKER_TLS_CERTDIR:+$DOCKER_TLS_CERTDIR/client}
tls=
if [ -n "$certs" ] && [ -s "$certs/ca.pem" ] && [ -s "$certs/cert.pem" ] && [ -s "$certs/key.pem" ]; then
	tls=1
fi
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
	if [ -n "$tls" ]; then export DOCKER_HOST=tcp://docker:2376; else export DOCKER_HOST=tcp://docker:2375; fi
fi
if [ -n "$tls" ]; then
	export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="${DOCKER_CERT_PATH:-$certs}"
fi
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	set -- docker "$@"
fi
exec "$@"
