// NiftiIOTests (being written).
