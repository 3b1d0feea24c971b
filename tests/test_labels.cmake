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
  DataMovementOracle.MatchesTheRealRuntime
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
  QuantizeCommand.IntegerIoAndAnOpKeptInFloatRunInTheRuntimeAsQuantlensRunsThem
  QuantizeOracle.CastMatchesTheRealRuntime
  QuantizeOracle.QuantizeDequantizeMatchTheRealRuntime
  QuantizeRealModels.FaceDetectorLoadsInTheRuntimeAndEveryOpMatchesItFed
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
  ComputedOutputShapes.NoKernelTakesTheShapeTheFileStores
  LstmOperands.AGateWeightOfTheWrongShapeIsRefusedNamingIt
  LstmOperands.AFloatLstmStateOfAnotherTypeIsRefused
  ConvFamilyGolden.EachOpAloneMatchesTheRealRuntime
  CorruptCorpus.EveryDamagedModelIsRefusedCleanlyOrLoads
  DebugCancel.CancelledBetweenSamplesAfterTheFirstGivesControlBack
  DebugCancel.CancelledDuringTheSecondSampleStopsBetweenOps
  DebugCancel.PartialResultsGrowOneSampleAtATimeAndEndAsTheReport
  DebugCommand.LookAlikePairIsReportedAsNotTwins
  DebugCommand.MobilenetWithItsDequantizedTwinGivesOneSaneRowPerQuantizedOutput
  DebugCommand.OutputEqualToAnInputModelIsRefused
  DequantizedTwin.HasNoQuantizedTensorAndKeepsEveryComputeOp
  DequantizedTwin.WeightsAreTheDequantizedValues
  DequantizedTwinFoldedActivation.TheTwinOfTocosSsdDetectsWhatTheQuantizedModelDetects
  DetectCommand.AClassifierIsRefusedWithExit3
  DetectCommand.FindsEveryBoxTfliteFindsOnTheTablePhoto
  DetectCommand.PbtxtLabelMapNamesPets
  DetectHeads.BlazeFaceMatchesAnIndependentDecodingAndFindsTheFace
  DetectHeads.DebugComparesFloat16AndInt8BoxesOfYoloV9Tiny
  DetectHeads.YoloV9TinyFloat16AndInt8MatchAnIndependentDecoding
  DetectionPostProcessGolden.OpFedGoldenInputsGivesGoldenOutputs
  ElementwiseGolden.EachFamilyOpInIsolationMatchesTheRealRuntime
  EvaluateCommand.AClassifierOnAFolderPerClass
  EvaluateCommand.AgreementOnlyWithoutAnnotations
  EvaluateCommand.BadInputsExitTwoNamingTheProblem
  EvaluateCommand.TwoDetectorsOnCocoWithTheTwinAgreement
  EvaluateCommand.YoloLabelsFromTheSameBoxesGiveTheSameMap
  EvaluateCommand.YoloV9FloatAndInt8OnCoco
  EvaluationDatasets.ImageSizeFromHeaders
  ExportCommand.FromADebugCsvWithAThreshold
  ExportCommand.KeepsTypesInFloatAndWritesTheSegmentReport
  ExportCommand.RefusesToOverwriteTheInputAndUnknownSelections
  FamilyGolden.EachOpInIsolationMatchesTheRealRuntime
  FastKernels.GiveTheSameTensorsAsThePlainLoops
  GoldenEndToEnd.ResultsAgreeWithTheRealRuntime
  GoldenFeed.EachSupportedOpInIsolationMatches
  GoldenFeed.EveryOpIsWithinOneStepInReferenceArithmetic
  GoldenFeed.EveryOpMatchesTheRealRuntimeDeployed
  ImageRunReal.ClassifierAndSegmenterTasks
  ImageRunReal.YoloPairAgreesWithTheDetectionModule
  InspectJson.DecodesOptionsByFieldAndEnumNames
  KeptTensors.EveryIntermediateTensorHasTheValuesRunAllTensorsWrites
  KeptTensors.KeptTensorsCountInTheMemoryLimit
  Labels.FromARealModelsMetadata
  Labels.PetsLabelMap
  LstmTwin.PerLayerRowsRecomputeTheFloatOpOnDequantizedInputs
  LstmTwin.WholeModelRowsMatchTheRuntimesTensors
  MemoryPlan.ArenaIsMuchSmallerThanOneBufferPerTensor
  MutatedModels.RunsOnZeroInputsEndWithExit0Or2Or3
  OpMatching.LookAlikePairsWithDifferentWeightsWarnNotTwins
  OpMatching.TheLstmTwinMatchesEveryOpWithoutWarning
  OpMatching.YoloTwinWithRenamedFusedOpsMatchesAtLeast95Percent
  QuantizeCommand.HelloWorldKeepsItsOutputsWithinThreePercentOfTheirRange
  QuantizeCommand.PerTensorWeightAndBiasScalesAreWhatTheSpecificationGives
  QuantizeCommand.RefusesQuantizedModelsAndOverwritingTheInput
  QuantizeRealModels.CalibrationReportsProgressAndStopsWhenCancelled
  QuantizeRealModels.FaceDetectorRunsInTheRuntimeMatchesItOpByOpAndFindsTheFace
  QuantizeRealModels.MobileNetDequantizedAndQuantizedAgainKeepsItsTopClass
  QuantizeRealModels.YoloWeightsAreTheConvertersOwn
  RoundTrip.EverySharedModelReadsBackAsTheSameGraph
  RoundTrip.KeepsTheZipAppendedToMobilenet
  SelectiveExport.FloatOpsClampAsTheirQuantizedOutputRangeDid
  SelectiveExport.NeighbouringFloatOpsShareOneRegion
  SelectiveExport.RefusesModelsWithoutIntegerActivationsAndInt8Lstm
  SelectiveExport.TheLastTenOpsOfYolov9tFormAWholeGraph
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
