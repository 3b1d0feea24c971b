# Every gtest's ctest label, by what it needs (run after discovery: TEST_INCLUDE_FILES of tests/CMakeLists.txt):
#  - oracle: runs node (the real TFLite runtime in ../shared/oracle);
#  - golden: reads ../shared (models, images, golden tensors) but runs no node;
#  - unit: neither (builds its models with the project's writer).
# Names are SUITE.TEST, parametrized instances included. A test missing here is unit; one that reaches for more
# than its label allows fails at run time (test_support.cpp, checkLabelAllows), naming this file.
# Included with QL_TEST_LIST set to the variable that holds the binary's discovered tests.

set(QL_ORACLE_TESTS
  ActivationKernels.MatchTheRealRuntime
  ArgMinMaxOracle.MatchesTheRealRuntime
  BinaryKernels.QuantizedAndIntegerOpsMatchTheRealRuntime
  ConvFamilyLeftOut.OpsWhoseOutputTheDumpLeftOutMatchTheRealRuntimeAlone
  ConvOracle.HybridMatchesTheRuntimeTheGoldenModelsCameFrom
  ConvOracle.HybridRoundsTiesLikeTheRuntimeTheGoldenModelsCameFrom
  ConvOracle.Int16x8MatchesTheRealRuntime
  ConvOracle.Int16x8RoundsTiesLikeTheRealRuntime
  DequantizedTwin.RunsInTheReferenceRuntimeOnTheGoldenInputs
  DetectionPostProcess.MatchesTheRealRuntimeOnUInt8Inputs
  DetectionPostProcess.MatchesTheRealRuntimeWithCocoAnchors
  DetectionPostProcess.MatchesTheRealRuntimeWithGeneratedAnchors
  FamilyLeftOut.OpsWhoseOutputTheGoldenLeftOutMatchTheRealRuntimeAlone
  FloatSumOrderOracle.ConvolutionsMatchTheRealRuntimeBitForBit
  FloatSumOrderOracle.DepthwiseMatchesTheRealRuntimeBitForBit
  FloatSumOrderOracle.FullyConnectedWithFewUnitsMatchesTheRealRuntimeBitForBit
  FullyConnectedFastPath.FloatMatchesThePlainLoopsBitForBit
  FullyConnectedOracle.HybridMatchesTheRuntimeTheGoldenModelsCameFrom
  FullyConnectedOracle.HybridPerChannelIsCloseToTheRealRuntime
  FullyConnectedOracle.Int16x8MatchesTheRealRuntime
  FullyConnectedOracle.Int16x8RoundsTiesLikeTheRealRuntime
  InspectJson.AgreesWithIndependentReaderOnEverySharedModel
  PoolingOracle.AverageAndMaxMatchTheRealRuntime
  QuantizeOracle.CastMatchesTheRealRuntime
  QuantizeOracle.QuantizeDequantizeMatchTheRealRuntime
  ReduceOracle.MeanAndSumOverLargePlanesMatchTheRealRuntime
  ReduceOracle.MeanSumMaxMatchTheRealRuntime
  ResizeOracle.BilinearAndNearestMatchTheRealRuntime
  RoundTrip.RewrittenFilesRunByteIdenticallyInTheReferenceRuntime
  SelectiveExport.ExportsRunInTheReferenceRuntimeAndLeaveOtherOpsUntouched
  SelectiveExport.FloatConvolutionsBringMobilenetCloserToItsFloatTwin
  SoftmaxKernels.MatchTheRealRuntime
  TransposeConv.MatchesTheRealRuntime
  UnaryKernels.MatchTheRealRuntime
  XnnpackFloatMathOracle.HardSwishMatchesTheRealRuntimeBitForBit
  XnnpackFloatMathOracle.LogisticMatchesTheRealRuntimeBitForBit
)

set(QL_GOLDEN_TESTS
  ImageRunReal.YoloPairAgreesWithTheDetectionModule
  ImageRunReal.ClassifierAndSegmenterTasks
  ConvFamilyGolden.EachOpAloneMatchesTheRealRuntime
  CorruptCorpus.EveryDamagedModelIsRefusedCleanlyOrLoads
  DebugCommand.LookAlikePairIsReportedAsNotTwins
  DebugCommand.MobilenetWithItsDequantizedTwinGivesOneSaneRowPerQuantizedOutput
  DebugCommand.OutputEqualToAnInputModelIsRefused
  DequantizedTwin.HasNoQuantizedTensorAndKeepsEveryComputeOp
  DequantizedTwin.WeightsAreTheDequantizedValues
  DetectCommand.AClassifierIsRefusedWithExit3
  DetectCommand.FindsEveryBoxTfliteFindsOnTheTablePhoto
  DetectCommand.PbtxtLabelMapNamesPets
  DetectionPostProcessGolden.OpFedGoldenInputsGivesGoldenOutputs
  ElementwiseGolden.EachFamilyOpInIsolationMatchesTheRealRuntime
  ExportCommand.FromADebugCsvWithAThreshold
  ExportCommand.KeepsTypesInFloatAndWritesTheSegmentReport
  ExportCommand.RefusesToOverwriteTheInputAndUnknownSelections
  FamilyGolden.EachOpInIsolationMatchesTheRealRuntime
  FastKernels.GiveTheSameTensorsAsThePlainLoops
  GoldenEndToEnd.ResultsAgreeWithTheRealRuntime
  GoldenFeed.EachSupportedOpInIsolationMatches
  GoldenFeed.EveryOpIsWithinOneStepInReferenceArithmetic
  GoldenFeed.EveryOpMatchesTheRealRuntimeDeployed
  InspectJson.DecodesOptionsByFieldAndEnumNames
  Labels.FromARealModelsMetadata
  LstmTwin.PerLayerRowsRecomputeTheFloatOpOnDequantizedInputs
  LstmTwin.WholeModelRowsMatchTheRuntimesTensors
  Labels.PetsLabelMap
  MemoryPlan.ArenaIsMuchSmallerThanOneBufferPerTensor
  OpMatching.LookAlikePairsWithDifferentWeightsWarnNotTwins
  OpMatching.TheLstmTwinMatchesEveryOpWithoutWarning
  OpMatching.YoloTwinWithRenamedFusedOpsMatchesAtLeast95Percent
  RoundTrip.EverySharedModelReadsBackAsTheSameGraph
  RoundTrip.KeepsTheZipAppendedToMobilenet
  SelectiveExport.NeighbouringFloatOpsShareOneRegion
  SelectiveExport.RefusesModelsWithoutIntegerActivationsAndInt8Lstm
)

function(ql_label_matches test names out)
  foreach(n IN LISTS names)
    string(REPLACE "." "\\." pattern "${n}")
    if(test MATCHES "(^|/)${pattern}(/|$)")
      set(${out} TRUE PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} FALSE PARENT_SCOPE)
endfunction()

foreach(test IN LISTS ${QL_TEST_LIST})
  ql_label_matches("${test}" "${QL_ORACLE_TESTS}" is_oracle)
  ql_label_matches("${test}" "${QL_GOLDEN_TESTS}" is_golden)
  if(is_oracle)
    set(label oracle)
  elseif(is_golden)
    set(label golden)
  else()
    set(label unit)
  endif()
  set_tests_properties("${test}" PROPERTIES LABELS ${label} ENVIRONMENT "QUANTLENS_TEST_LABEL=${label}")
endforeach()
