# Sourced by the agent benchmarks: a throw-away PKI for a local HTTPS endpoint.
#   make_test_pki DIR CN SUBJECT_ALT_NAMES
# writes DIR/ca.pem (a test CA), DIR/server.pem and DIR/server.key (signed by it, for CN and the
# given subjectAltName list), DIR/bundle.pem (the system CA bundle with the test CA appended, so
# the agent does the work of the system store) and sets PIN (the server certificate's SHA-256)
# and BUNDLE_CERTS (certificates in the bundle).
make_test_pki() {
	local dir=$1 cn=$2 sans=$3
	local ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	# shellcheck disable=SC2086
	openssl req -x509 $ec -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 -subj "/CN=ServerSan Bench CA" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
	# shellcheck disable=SC2086
	openssl req $ec -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=$cn" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans" >"$dir/ext"
	openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
		-extfile "$dir/ext" -out "$dir/server.pem" 2>/dev/null
	local system_bundle="" b
	for b in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/ca-bundle.pem; do
		[ -r "$b" ] && { system_bundle=$b; break; }
	done
	cat ${system_bundle:+"$system_bundle"} "$dir/ca.pem" >"$dir/bundle.pem"
	BUNDLE_CERTS=$(grep -c 'BEGIN CERTIFICATE' "$dir/bundle.pem")
	PIN=$(openssl x509 -in "$dir/server.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
}
