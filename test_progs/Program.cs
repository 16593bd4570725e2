// test_progs: the BPF selftests runner's command line over this project's NUnit tests (see README.md).
return BpfTests.TestProgs.TestProgsMain.Run(args, typeof(Program).Assembly);
