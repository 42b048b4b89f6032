mod cli_check;
