using BpfHarness;

// Every test in this assembly runs inside the test_progs environment: ASSERT/libbpf output routing,
// log-capture cleanup, fd leak check and the #N name:RESULT line.
[assembly: BpfTestHarness]
