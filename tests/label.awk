# Prefix each PASS:/FAIL:/SKIP: test name with LABEL/ so that suites run
# on several kernels and backends stay distinguishable. Other lines pass.
{
	if (match($0, /^(PASS|FAIL|SKIP): /))
		print substr($0, 1, RLENGTH) LABEL "/" substr($0, RLENGTH + 1)
	else
		print
	fflush()
}
