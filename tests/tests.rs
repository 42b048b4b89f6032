mod cli_plan;
