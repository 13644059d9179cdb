# bash completion for migc, the generator (installed as
# share/bash-completion/completions/migc): commands, each command's
# options, dialects, formats, directories and files.
_migc() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="init generate revision merge heads branches history show graph check verify import help"
	local command="" i opts
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--versions | --config | -c | --dialect | --url | --schema | --name | --output-dir | \
			-m | --message | --rev-id | --head | --branch-label | --depends-on | -r | --rev-range | \
			--format | --adopt | --alembic-config) ((i++)) ;;
		-*) ;;
		*) command=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	--dialect) mapfile -t COMPREPLY < <(compgen -W "sqlite postgresql" -- "$cur"); return ;;
	--format) mapfile -t COMPREPLY < <(compgen -W "text json dot" -- "$cur"); return ;;
	--versions | --output-dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	--config | -c | --schema | --alembic-config) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
	esac
	if [ -z "$command" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version --config --versions" -- "$cur")
		return
	fi
	case $command in
	init) opts="--dialect" ;;
	generate) opts="--name --dialect --output-dir --verify --single-head --url" ;;
	revision) opts="-m --message --rev-id --head --splice --branch-label --depends-on --autogenerate --schema --dialect --url" ;;
	merge) opts="-m --message --rev-id heads" ;;
	heads) opts="--verbose --format" ;;
	branches) opts="--verbose" ;;
	history) opts="-r --rev-range --verbose --format" ;;
	show) opts="--format head heads" ;;
	graph) opts="--format" ;;
	check) opts="--dialect --schema --url --format" ;;
	verify) opts="--dialect --url" ;;
	import) opts="--dialect --adopt --alembic-config alembic goose golang-migrate dbmate diesel sqlx flyway refinery" ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$opts --help --versions --config" -- "$cur")
}
complete -F _migc migc
