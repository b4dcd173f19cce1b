#!/bin/sh
# dockerd-entrypoint.sh: the entrypoint of the dind image (scripts/make-dind-image), behaving as
# docker:dind's (github.com/docker-library/docker, dockerd-entrypoint.sh + dind):
#   no arguments, or a first argument starting with '-'  ->  dockerd with the hosts below, plus
#                                                           those arguments (--mtu 1400, ...)
#   'dockerd ...'                                        ->  that dockerd, after the same setup
#   anything else                                        ->  run as is (sh, docker version, ...)
# DOCKER_TLS_CERTDIR set (the image's default: /certs): a CA, a server and a client certificate
# are made in it, dockerd listens on tcp 0.0.0.0:2376 with --tlsverify, and the client's
# ca.pem, cert.pem and key.pem land in $DOCKER_TLS_CERTDIR/client as one set. Empty: tcp 2375
# with --tls=false (without it Debian's dockerd 20.10 waits ~16 s on a plain tcp socket).
# Both keep the unix socket. DOCKER_TLS_SAN adds names ("DNS:x,IP:y") to the server's SAN.
set -eu

log() { echo "dockerd-entrypoint: $*" >&2; }

# The subjectAltName of the server certificate: the service alias 'docker', localhost, the
# hostname and every address of the container.
tls_san() {
	{
		echo DNS:docker
		echo DNS:localhost
		echo "DNS:$(hostname)"
		echo IP:127.0.0.1
		echo IP:::1
		for address in $(hostname -I 2>/dev/null || :); do echo "IP:$address"; done
		[ -z "${DOCKER_TLS_SAN:-}" ] || echo "$DOCKER_TLS_SAN" | tr ',' '\n'
	} | sed '/^DNS:$/d' | sort -u | paste -sd, -
}

# sign NAME USAGE [SAN]: a key and a certificate signed by the CA: $work/NAME-{key,cert}.pem.
# ECDSA P-256: a 4096-bit RSA key takes seconds on a small machine; docker's Go TLS takes both.
sign() {
	openssl ecparam -name prime256v1 -genkey -noout -out "$work/$1-key.pem"
	openssl req -new -key "$work/$1-key.pem" -subj "/CN=docker:dind $1" -out "$work/$1.csr"
	{
		echo "extendedKeyUsage = $2"
		[ -z "${3:-}" ] || echo "subjectAltName = $3"
	} >"$work/$1.ext"
	openssl x509 -req -in "$work/$1.csr" -CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" \
		-CAserial "$work/serial" -CAcreateserial -days 825 -sha256 -extfile "$work/$1.ext" \
		-out "$work/$1-cert.pem" 2>/dev/null
}

# The CA is kept across restarts (as docker:dind does); the server and client certificates are
# made anew at every start, so the SAN follows the container's current addresses.
generate_certs() {
	dir=$1
	mkdir -p "$dir/ca" "$dir/server"
	if [ ! -s "$dir/ca/key.pem" ] || [ ! -s "$dir/ca/cert.pem" ]; then
		openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca/key.pem"
		openssl req -new -x509 -days 825 -sha256 -key "$dir/ca/key.pem" -subj '/CN=docker:dind CA' \
			-out "$dir/ca/cert.pem"
	fi
	chmod 0600 "$dir/ca/key.pem"
	work=$(mktemp -d "$dir/.certs.XXXXXX")
	san=$(tls_san)
	sign server serverAuth "$san"
	sign client clientAuth
	cp "$dir/ca/cert.pem" "$dir/server/ca.pem"
	mv -f "$work/server-cert.pem" "$dir/server/cert.pem"
	mv -f "$work/server-key.pem" "$dir/server/key.pem"
	# The client set: a reader (the job, waiting for $DOCKER_TLS_CERTDIR/client/ca.pem) must
	# never see part of it. A new client dir appears whole by one rename. An existing one (a
	# restart, or a volume mounted there, as GitLab's /certs/client) is refilled with key.pem
	# taken out first and put back last, so all three are there only when they match.
	mkdir "$work/client"
	cp "$dir/ca/cert.pem" "$work/client/ca.pem"
	mv "$work/client-cert.pem" "$work/client/cert.pem"
	mv "$work/client-key.pem" "$work/client/key.pem"
	# 0644 for the key too, as docker:dind: it is shared with whichever user the job runs as.
	chmod 0644 "$work/client/ca.pem" "$work/client/cert.pem" "$work/client/key.pem"
	if [ ! -e "$dir/client" ]; then
		mv -T "$work/client" "$dir/client"
	else
		rm -f "$dir/client/key.pem"
		for file in ca.pem cert.pem key.pem; do
			mv -f "$work/client/$file" "$dir/client/.$file.new"
			mv -f "$dir/client/.$file.new" "$dir/client/$file"
		done
	fi
	rm -rf "$work"
	log "certificates in $dir (client: $dir/client; server SAN: $san)"
}

# docker:dind's 'dind': the setup a daemon inside a container needs.
prepare_for_dockerd() {
	# cgroup v2: a cgroup with processes cannot enable controllers for children (EBUSY), so
	# every process of the (namespaced) root moves to init/ first; a process gone meanwhile is
	# no error. Then every controller is enabled below the root for dockerd's cgroups.
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		if mkdir -p /sys/fs/cgroup/init 2>/dev/null; then
			xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
			sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers \
				>/sys/fs/cgroup/cgroup.subtree_control ||
				log "cannot enable the cgroup controllers (nested limits may not work)"
		else
			log "/sys/fs/cgroup is not writable: no cgroup nesting (is the cgroup delegated?)"
		fi
	fi
	# Shared propagation, as on a systemd host: mounts dockerd makes reach its containers.
	mount --make-rshared / 2>/dev/null || log "cannot make / rshared (not permitted here)"
	# A pid file left by a daemon that did not stop cleanly keeps the next one from starting.
	find /run /var/run -maxdepth 2 -iname 'docker*.pid' -delete 2>/dev/null || :
}

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	if [ -n "${DOCKER_TLS_CERTDIR:-}" ]; then
		generate_certs "$DOCKER_TLS_CERTDIR"
		set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify \
			--tlscacert "$DOCKER_TLS_CERTDIR/server/ca.pem" \
			--tlscert "$DOCKER_TLS_CERTDIR/server/cert.pem" \
			--tlskey "$DOCKER_TLS_CERTDIR/server/key.pem" "$@"
	else
		set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false "$@"
	fi
fi
if [ "$1" = dockerd ]; then
	prepare_for_dockerd
fi
exec "$@"
