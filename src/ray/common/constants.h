// Constants of Ray's src/ray/common/constants.h used by this tree, with Ray's
// names and values.

#pragma once

/// Resource quantities are stored as integers in units of 1/kResourceUnitScaling,
/// so fractional requests such as 0.5 CPU add up without rounding drift.
constexpr int kResourceUnitScaling = 10000;

/// Every node has an implicit resource named with this prefix; its quantity on
/// the node is 1 unless a task has taken part of it.
constexpr char kImplicitResourcePrefix[] = "node:__internal_implicit_resource_";
