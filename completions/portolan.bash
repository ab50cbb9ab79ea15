# bash completion for portolan.  Source it, or install as
# /usr/share/bash-completion/completions/portolan.
_portolan()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	local commands="lookup search update who listening ls audit help"

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--db|--from|--expect|--nmap-services|--etc-services)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--npm|--data)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	case $cmd in
	update)
		COMPREPLY=($(compgen -W "--from --npm --nmap-services --etc-services --no-system --data --no-data --db --quiet --help" -- "$cur")) ;;
	search)
		COMPREPLY=($(compgen -W "--json --limit --db --no-color --help" -- "$cur")) ;;
	listening|ls)
		COMPREPLY=($(compgen -W "--json --tcp --udp --port --user --db --no-color --help" -- "$cur")) ;;
	audit)
		COMPREPLY=($(compgen -W "--expect --snapshot --json --db --help" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -W "--json --db --no-color --help" -- "$cur")) ;;
	esac
}
complete -F _portolan portolan
