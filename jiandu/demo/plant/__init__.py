"""Planted cases: true hits and near-misses for every rule of the catalogue, one module per rule group."""

from __future__ import annotations

from typing import Any

from jiandu.demo.business import CompanyFactory
from jiandu.demo.plant.ast import plant_ast
from jiandu.demo.plant.builders import Planter
from jiandu.demo.plant.cnd import plant_cnd
from jiandu.demo.plant.coi import plant_coi
from jiandu.demo.plant.dec import plant_dec
from jiandu.demo.plant.pet import plant_pet
from jiandu.demo.plant.prc import plant_prc
from jiandu.demo.plant.rct import plant_rct
from jiandu.demo.world import World

GROUPS = (plant_coi, plant_prc, plant_dec, plant_pet, plant_rct, plant_ast, plant_cnd)


def plant_all(world: World, factory: CompanyFactory) -> list[dict[str, Any]]:
    planter = Planter(world, factory)
    for group in GROUPS:
        group(planter)
    return planter.cases
