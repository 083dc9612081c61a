#!/bin/sh
# Fails when a package imports what its layer may not (see STYLE in the
# package docs): dependencies point down
#   cmd -> reconcile -> connectors -> snapshot/store -> snapshot
# and only snapshot/store may import go.etcd.io/bbolt.
set -eu
mod=github.com/woonexo/woonexo
fail=0
go list -f '{{.ImportPath}} {{join .Imports " "}}' ./... > /tmp/woonexo-imports.$$
while read -r pkg imports; do
	rel=${pkg#"$mod"}
	rel=${rel#/}
	for imp in $imports; do
		case "$imp" in
		"$mod"/*) ours=${imp#"$mod"/} ;;
		go.etcd.io/bbolt*)
			case "$rel" in snapshot/store | snapshot/store/*) ;; *) echo "lint: $rel imports $imp (only snapshot/store may)"; fail=1 ;; esac
			continue ;;
		*.*/*)
			case "$rel" in snapshot) echo "lint: snapshot imports $imp (stdlib only)"; fail=1 ;; esac
			continue ;;
		*) continue ;;
		esac
		ok=0
		case "$rel" in
		snapshot) ;;
		snapshot/*) case "$ours" in snapshot | "$rel"/*) ok=1 ;; esac ;;
		connectors/woocommerce* | connectors/nexopos*)
			top=$(echo "$rel" | cut -d/ -f1-2)
			case "$ours" in snapshot) ok=1 ;; "$top" | "$top"/*) ok=1 ;; esac
			# a connector itself never imports its simulator
			case "$rel/$ours" in "$top/$top"/*) [ "$rel" = "$top" ] && ok=0 ;; esac ;;
		reconcile | reconcile/*) case "$ours" in snapshot | reconcile | reconcile/*) ok=1 ;; esac ;;
		cmd/*) ok=1 ;;
		internal/*) ok=1 ;;
		esac
		if [ $ok = 0 ]; then
			echo "lint: $rel imports $ours, which its layer may not"
			fail=1
		fi
	done
done < /tmp/woonexo-imports.$$
rm -f /tmp/woonexo-imports.$$
exit $fail
