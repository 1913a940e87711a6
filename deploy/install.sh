#!/usr/bin/env bash
# Installs one host of a multi-host Reactor cluster on Debian 12. See deploy/README.md.
#
#   deploy/install.sh --role zookeeper --zookeeper-hosts 10.0.0.1,10.0.0.2,10.0.0.3 --myid 1
#   deploy/install.sh --role api,manager --zookeeper-hosts 10.0.0.1,10.0.0.2,10.0.0.3 \
#       --binary ./reactor --name api1
#   deploy/install.sh --role lb --api-nodes 10.0.0.11:8080,10.0.0.12:8080
#   deploy/install.sh --role api,manager ... --with-docker     (this host runs docker instances)
#
# --root DIR --dry-run writes every file under DIR and prints the commands (apt-get, useradd,
# systemctl, nginx) instead of running them. Run `deploy/install.sh --help` for every option.
#
# `test && test || fail` means: fail unless both tests pass.
# shellcheck disable=SC2015
set -euo pipefail

program=${0##*/}
deploy_dir=$(cd "$(dirname "$0")" && pwd)

usage() {
    cat <<'USAGE'
Usage: install.sh --role ROLE[,ROLE...] [options]

Roles (several may share a host: --role api,manager):
  zookeeper   a member of the ZooKeeper ensemble (reactor-zookeeper.service)
  api         the Reactor API (reactor-api.service)
  manager     the Reactor manager, one on every host (reactor-manager.service)
  lb          nginx on port 80 in front of the API nodes

Options:
  --zookeeper-hosts LIST  the ensemble: HOST[:CLIENT[:QUORUM[:ELECTION]]],... with an optional
                          /chroot at the end (ports default to 2181, 2888, 3888);
                          roles zookeeper, api, manager
  --myid N                this member's position in --zookeeper-hosts, from 1 (role zookeeper)
  --client-address ADDR   address ZooKeeper's client port listens on (default: all)
  --binary PATH           the reactor executable to install (roles api, manager)
  --api-host ADDR         address the API listens on (default 0.0.0.0)
  --api-port PORT         port the API listens on (default 8080)
  --admin-key-file FILE   the admin key to install as /etc/reactor/admin.key (role api; default:
                          a random key is made there once, mode 0600; give every API node the same)
  --name NAME             the manager's name (default: the host name)
  --api-url URL           the API URL given to instances (default http://127.0.0.1:8080)
  --log-level LEVEL       trace, debug, info, notice, warning, error, critical (default warning)
  --no-expose-api         do not serve the API on ports 80 and 443 through the manager's nginx
                          (role manager; by default its manager makes the apihttp and apihttps
                          endpoints when absent, and the system's own nginx service is disabled:
                          the manager runs nginx itself; never with role lb on the same host)
  --with-docker           install docker.io, let the manager use its socket (group docker) and
                          write /etc/reactor/manager-docker.ini, the [cloud:docker] section to
                          store as this manager's configuration (role manager)
  --api-nodes LIST        HOST:PORT,... of the API nodes (role lb)
  --listen [ADDR:]PORT    where nginx listens (role lb; default 80)
  --server-name NAME      nginx server_name (role lb; default _, any name)
  --root DIR              write files under DIR instead of / (needs --dry-run)
  --dry-run               print the commands instead of running them
  -h, --help              show this help
USAGE
}

fail() {
    echo "$program: error: $*" >&2
    exit 2
}

# ---------------------------------------------------------------------------------------------
# Arguments

roles="" zookeeper_hosts="" myid="" client_address="" binary="" api_host="" api_port=""
manager_name="" api_url="" log_level="" api_nodes="" listen="80" server_name="_" root="/"
root_given=false dry_run=false admin_key_file="" with_docker=false expose_api=true

while [ $# -gt 0 ]; do
    option=$1
    case $option in
        -h | --help) usage; exit 0 ;;
        --dry-run) dry_run=true; shift; continue ;;
        --with-docker) with_docker=true; shift; continue ;;
        --no-expose-api) expose_api=false; shift; continue ;;
        --*=*) set -- "${option%%=*}" "${option#*=}" "${@:2}"; continue ;;
        --role | --zookeeper-hosts | --myid | --client-address | --binary | --api-host | --api-port | \
            --name | --api-url | --log-level | --api-nodes | --listen | --server-name | --root | \
            --admin-key-file)
            [ $# -ge 2 ] || fail "$option needs a value"
            value=$2
            shift 2
            ;;
        *) fail "unknown option '$option' (see --help)" ;;
    esac
    case $option in
        --role) roles=$value ;;
        --zookeeper-hosts) zookeeper_hosts=$value ;;
        --myid) myid=$value ;;
        --client-address) client_address=$value ;;
        --binary) binary=$value ;;
        --api-host) api_host=$value ;;
        --api-port) api_port=$value ;;
        --name) manager_name=$value ;;
        --api-url) api_url=$value ;;
        --log-level) log_level=$value ;;
        --api-nodes) api_nodes=$value ;;
        --listen) listen=$value ;;
        --server-name) server_name=$value ;;
        --root) root=$value; root_given=true ;;
        --admin-key-file) admin_key_file=$value ;;
    esac
done

has_role() { [[ ",$roles," == *",$1,"* ]]; }

is_port() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
is_host() { [[ $1 =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; }
is_ipv4() {
    [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
    local part
    for part in "${BASH_REMATCH[@]:1}"; do [ "$part" -le 255 ] || return 1; done
}

[ -n "$roles" ] || fail "--role is required: zookeeper, api, manager or lb (see --help)"
IFS=, read -r -a role_list <<<"$roles"
for role in "${role_list[@]}"; do
    case $role in
        zookeeper | api | manager | lb) ;;
        *) fail "unknown role '$role': use zookeeper, api, manager or lb" ;;
    esac
done

# The ensemble: zk_host[i], zk_client[i], zk_quorum[i], zk_election[i], and the chroot.
zk_host=() zk_client=() zk_quorum=() zk_election=() zk_chroot=""
if has_role zookeeper || has_role api || has_role manager; then
    [ -n "$zookeeper_hosts" ] || fail "--zookeeper-hosts is required for roles zookeeper, api and manager"
    list=$zookeeper_hosts
    if [[ $list == */* ]]; then
        zk_chroot=/${list#*/}
        list=${list%%/*}
        [[ $zk_chroot =~ ^(/[A-Za-z0-9._-]+)+$ ]] ||
            fail "--zookeeper-hosts: chroot '$zk_chroot' is not a path like /reactor"
    fi
    IFS=, read -r -a entries <<<"$list"
    [ ${#entries[@]} -gt 0 ] || fail "--zookeeper-hosts is empty"
    for entry in "${entries[@]}"; do
        IFS=: read -r host client quorum election extra <<<"$entry"
        [ -z "${extra:-}" ] || fail "--zookeeper-hosts: '$entry' has too many parts (HOST[:CLIENT[:QUORUM[:ELECTION]]])"
        is_host "$host" || fail "--zookeeper-hosts: '$entry' does not start with a host name or IPv4 address"
        for port in "${client:=2181}" "${quorum:=2888}" "${election:=3888}"; do
            is_port "$port" || fail "--zookeeper-hosts: '$entry' has port '$port' outside 1..65535"
        done
        zk_host+=("$host") zk_client+=("$client") zk_quorum+=("$quorum") zk_election+=("$election")
    done
fi

if has_role zookeeper; then
    count=${#zk_host[@]}
    [ $((count % 2)) = 1 ] ||
        fail "--zookeeper-hosts lists $count servers: an ensemble needs an odd number (3 or 5) to keep a majority"
    [ -n "$myid" ] || fail "--myid is required for role zookeeper (this member's position in --zookeeper-hosts)"
    [[ $myid =~ ^[0-9]+$ ]] && [ "$myid" -ge 1 ] && [ "$myid" -le "$count" ] ||
        fail "--myid '$myid' is not a position in --zookeeper-hosts (1..$count)"
    [ -z "$client_address" ] || is_ipv4 "$client_address" ||
        fail "--client-address '$client_address' is not an IPv4 address"
fi

if has_role api || has_role manager; then
    [ -n "$binary" ] || fail "--binary is required for roles api and manager (the reactor executable)"
    [ -f "$binary" ] && [ -x "$binary" ] || fail "--binary '$binary' is not an executable file"
fi

if has_role api; then
    [ -z "$api_host" ] || is_ipv4 "$api_host" || fail "--api-host '$api_host' is not an IPv4 address"
    [ -z "$api_port" ] || is_port "$api_port" || fail "--api-port '$api_port' is not a port (1..65535)"
fi

if has_role manager; then
    [ -z "$manager_name" ] || [[ $manager_name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] ||
        fail "--name '$manager_name' may hold only letters, digits, '.', '_' and '-'"
    [ -z "$api_url" ] || [[ $api_url =~ ^https?://[^[:space:]]+$ ]] ||
        fail "--api-url '$api_url' is not an http:// or https:// URL"
fi
if $with_docker && ! has_role manager; then
    fail "--with-docker is for role manager (the manager runs the host's containers)"
fi

case $log_level in
    "" | trace | debug | info | notice | warning | error | critical) ;;
    *) fail "--log-level '$log_level' is not one of trace, debug, info, notice, warning, error, critical" ;;
esac

upstream_servers=""
if has_role lb; then
    [ -n "$api_nodes" ] || fail "--api-nodes is required for role lb (HOST:PORT,... of the API nodes)"
    IFS=, read -r -a nodes <<<"$api_nodes"
    for node in "${nodes[@]}"; do
        [[ $node == *:* ]] || fail "--api-nodes: '$node' is not HOST:PORT"
        is_host "${node%:*}" && is_port "${node##*:}" || fail "--api-nodes: '$node' is not HOST:PORT"
        upstream_servers+="    server $node max_fails=2 fail_timeout=5s;"$'\n'
    done
    upstream_servers=${upstream_servers%$'\n'}
    if [[ $listen == *:* ]]; then
        is_ipv4 "${listen%:*}" && is_port "${listen##*:}" || fail "--listen '$listen' is not [ADDR:]PORT"
    else
        is_port "$listen" || fail "--listen '$listen' is not [ADDR:]PORT"
    fi
    [[ $server_name =~ ^[A-Za-z0-9_.*-]+$ ]] || fail "--server-name '$server_name' is not a host name"
fi

if [ -n "$admin_key_file" ]; then
    [ -r "$admin_key_file" ] && [ -s "$admin_key_file" ] || fail "--admin-key-file '$admin_key_file' is not a readable, non-empty file"
fi

if [ "$root" != / ]; then
    $dry_run || fail "--root is for staging files: add --dry-run (the commands cannot act on another root)"
    [ -d "$root" ] || fail "--root '$root' is not a directory"
    root=$(cd "$root" && pwd)
elif ! $root_given && $dry_run; then
    root=$(mktemp -d "${TMPDIR:-/tmp}/reactor-deploy.XXXXXX")
    echo "dry run: writing files under $root"
fi
if ! $dry_run && [ "$(id -u)" != 0 ]; then
    fail "installing needs root (or try --dry-run --root DIR)"
fi
prefix=${root%/}

# ---------------------------------------------------------------------------------------------
# Actions: files are written under $prefix; commands are printed (dry run) or run.

run() {
    if $dry_run; then
        printf '+'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

say() { echo "==> $*"; }

# render TEMPLATE KEY VALUE... : the template with every @KEY@ replaced by VALUE.
render() {
    local template=$1 text key
    text=$(<"$template")
    shift
    while [ $# -ge 2 ]; do
        key=$1
        text=${text//@$key@/"$2"}
        shift 2
    done
    if [[ $text =~ @[A-Z_]+@ ]]; then
        fail "internal: $template still holds ${BASH_REMATCH[0]} after rendering"
    fi
    printf '%s\n' "$text"
}

# write_file PATH MODE : stdin to $prefix/PATH with MODE, creating directories.
write_file() {
    local path=$prefix$1
    mkdir -p "$(dirname "$path")"
    cat >"$path.tmp.$$"
    chmod "$2" "$path.tmp.$$"
    mv -f "$path.tmp.$$" "$path"
    echo "    wrote $1"
}

# set_env KEY VALUE : sets KEY in /etc/reactor/reactor.env, keeping every other line.
env_file=/etc/reactor/reactor.env
admin_key_file_path=/etc/reactor/admin.key
set_env() {
    local path=$prefix$env_file key=$1 value=$2 line found=false content=""
    if [ ! -f "$path" ]; then
        content=$(cat <<'HEADER'
# Settings of reactor-api.service and reactor-manager.service, kept up to date by
# deploy/install.sh (it changes only the lines it sets). What is not set here takes the
# units' defaults:
#   REACTOR_ZOOKEEPER=127.0.0.1:2181  REACTOR_LOG_LEVEL=warning
#   REACTOR_API_HOST=0.0.0.0  REACTOR_API_PORT=8080  REACTOR_API_OPTIONS=
#   REACTOR_MANAGER_NAME=<host name>  REACTOR_API_URL=http://127.0.0.1:8080  REACTOR_MANAGER_OPTIONS=
HEADER
)$'\n'
    else
        while IFS= read -r line || [ -n "$line" ]; do
            if [[ $line == "$key="* ]]; then
                $found || content+="$key=$value"$'\n'
                found=true
            else
                content+="$line"$'\n'
            fi
        done <"$path"
    fi
    $found || content+="$key=$value"$'\n'
    mkdir -p "$(dirname "$path")"
    printf '%s' "$content" >"$path.tmp.$$"
    chmod 0640 "$path.tmp.$$"
    mv -f "$path.tmp.$$" "$path"
}

install_unit() {
    write_file "/etc/systemd/system/$1" 0644 <"$deploy_dir/systemd/$1"
}

# Every role's packages in one apt-get run.
packages=()
has_role zookeeper && packages+=(zookeeper libslf4j-java)
{ has_role api || has_role manager; } && packages+=(libzookeeper-mt2 ca-certificates)
# The lb role's nginx holds port 80 on this host: the manager's own cannot serve the API there.
if has_role lb || ! has_role manager; then expose_api=false; fi
has_role manager && packages+=(curl)
$expose_api && packages+=(nginx openssl)
$with_docker && packages+=(docker.io)
has_role lb && packages+=(nginx)
say "packages: ${packages[*]}"
run apt-get update
run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"

units=()
reactor_connect=""
for i in "${!zk_host[@]}"; do
    reactor_connect+="${reactor_connect:+,}${zk_host[$i]}:${zk_client[$i]}"
done
reactor_connect+=$zk_chroot

if has_role api || has_role manager; then
    say "reactor executable and settings"
    if $dry_run || ! id reactor >/dev/null 2>&1; then
        run useradd --system --user-group --home-dir /var/lib/reactor --no-create-home \
            --shell /usr/sbin/nologin reactor
    fi
    write_file /usr/local/bin/reactor 0755 <"$binary"
    if $dry_run; then
        run /usr/local/bin/reactor --version
    else
        /usr/local/bin/reactor --version >/dev/null ||
            fail "/usr/local/bin/reactor --version failed: missing libraries? (build with 'swift build -c release --static-swift-stdlib')"
    fi
    set_env REACTOR_ZOOKEEPER "$reactor_connect"
    [ -z "$log_level" ] || set_env REACTOR_LOG_LEVEL "$log_level"
    if has_role api; then
        [ -z "$api_host" ] || set_env REACTOR_API_HOST "$api_host"
        [ -z "$api_port" ] || set_env REACTOR_API_PORT "$api_port"
        # The API refuses to serve beyond loopback with no admin key: it sets this one at its
        # first start when none is set. Made once (kept on a re-run), readable by reactor only.
        if [ -n "$admin_key_file" ]; then
            (umask 077 && write_file "$admin_key_file_path" 0600 <"$admin_key_file")
        elif [ ! -s "$prefix$admin_key_file_path" ]; then
            (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | write_file "$admin_key_file_path" 0600)
        fi
        run chown reactor:reactor "$admin_key_file_path"
        set_env REACTOR_AUTH_KEY_FILE "$admin_key_file_path"
        install_unit reactor-api.service
        units+=(reactor-api.service)
    fi
    if has_role manager; then
        [ -z "$manager_name" ] || set_env REACTOR_MANAGER_NAME "$manager_name"
        [ -z "$api_url" ] || set_env REACTOR_API_URL "$api_url"
        if $expose_api; then
            # The API on ports 80 and 443 through this manager's nginx, to this host's API node.
            known_port=$(sed -n 's/^REACTOR_API_PORT=//p' "$prefix$env_file" 2>/dev/null | tail -n 1)
            set_env REACTOR_MANAGER_OPTIONS "--expose-api --expose-api-port ${api_port:-${known_port:-8080}}"
            # Debian starts a system nginx on port 80: the manager runs nginx itself.
            run systemctl disable --now nginx.service
        else
            set_env REACTOR_MANAGER_OPTIONS ""
        fi
        install_unit reactor-manager.service
        units+=(reactor-manager.service)
        if $with_docker; then
            # The engine's socket is root:docker 0660: the manager (user reactor) joins the group.
            run usermod --append --groups docker reactor
            docker_name=${manager_name:-$(hostname)}
            write_file /etc/reactor/manager-docker.ini 0644 <<INI
; The docker cloud of manager '$docker_name' (docs/clouds.md). A manager reads its
; [cloud:docker] section from its stored configuration, not from this file: store it with
;   reactor managers configs set $docker_name --file /etc/reactor/manager-docker.ini
; (with --api URL and the admin key as for any admin command). It offers docker once its
; engine answers on the socket; until then its log says "not offering cloud 'docker': ...".
; Storing replaces the manager's whole configuration: add its [manager] section if it has one.
[cloud:docker]
; the engine's unix socket
socket = /var/run/docker.sock
; capacity: an endpoint's container takes [cloud:docker] slots of it (default 10)
slots = 1000
; containers' addresses; on several hosts, give each host its own block routed to it
addresses = 127.0.2.0/24
INI
        fi
    fi
    echo "    wrote $env_file"
    run chown root:reactor "$env_file"
fi

if has_role zookeeper; then
    say "ZooKeeper member $myid of ${#zk_host[@]}"
    servers=""
    for i in "${!zk_host[@]}"; do
        servers+="server.$((i + 1))=${zk_host[$i]}:${zk_quorum[$i]}:${zk_election[$i]}"$'\n'
    done
    address_line="# clientPortAddress: all addresses"
    [ -z "$client_address" ] || address_line="clientPortAddress=$client_address"
    render "$deploy_dir/zookeeper/zoo.cfg.in" \
        DATA_DIR /var/lib/zookeeper \
        CLIENT_PORT "${zk_client[$((myid - 1))]}" \
        CLIENT_PORT_ADDRESS "$address_line" \
        SERVERS "${servers%$'\n'}" |
        write_file /etc/reactor/zookeeper/zoo.cfg 0644
    echo "$myid" | write_file /var/lib/zookeeper/myid 0644
    run chown -R zookeeper:zookeeper /var/lib/zookeeper
    install_unit reactor-zookeeper.service
    units=(reactor-zookeeper.service "${units[@]}")
fi

if has_role lb; then
    say "nginx front of the API on $listen"
    render "$deploy_dir/nginx/reactor-api.conf.in" \
        UPSTREAM_SERVERS "$upstream_servers" \
        LISTEN "$listen" \
        SERVER_NAME "$server_name" |
        write_file /etc/nginx/sites-available/reactor-api 0644
    mkdir -p "$prefix/etc/nginx/sites-enabled"
    ln -sfn ../sites-available/reactor-api "$prefix/etc/nginx/sites-enabled/reactor-api"
    echo "    linked /etc/nginx/sites-enabled/reactor-api"
    # Debian's default site also listens on port 80 and would answer instead.
    if [ -e "$prefix/etc/nginx/sites-enabled/default" ] || [ -L "$prefix/etc/nginx/sites-enabled/default" ]; then
        rm -f "$prefix/etc/nginx/sites-enabled/default"
        echo "    disabled nginx's default site"
    fi
    if $dry_run; then
        run nginx -t
    elif ! nginx -t; then
        rm -f /etc/nginx/sites-enabled/reactor-api
        fail "nginx -t rejected the configuration (above); /etc/nginx/sites-enabled/reactor-api is removed again"
    fi
fi

if [ ${#units[@]} -gt 0 ]; then
    say "services: ${units[*]}"
    run systemctl daemon-reload
    $with_docker && run systemctl enable --now docker.service
    # Debian's zookeeperd service would take the same ports and data directory.
    if has_role zookeeper && { [ -e "$prefix/lib/systemd/system/zookeeper.service" ] ||
        [ -e "$prefix/etc/init.d/zookeeper" ]; }; then
        run systemctl disable --now zookeeper.service
    fi
    run systemctl enable "${units[@]}"
    # restart, not start: a second run brings in the new executable and settings.
    run systemctl restart "${units[@]}"
fi
if has_role lb; then
    run systemctl enable nginx.service
    run systemctl reload-or-restart nginx.service
fi

if $dry_run; then
    say "dry run: nothing was installed; the files are under $root"
else
    say "done: ${roles//,/, } installed"
fi
if $with_docker; then
    say "docker: store the manager's [cloud:docker] section with"
    echo "    reactor managers configs set ${manager_name:-$(hostname)} --file /etc/reactor/manager-docker.ini"
fi
