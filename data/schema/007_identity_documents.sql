-- xinfang schema, version 7: the petitioner's identity document is one of several kinds
-- (居民身份证, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 港澳台居民居住证,
-- 外国人永久居留身份证, 护照, 统一社会信用代码, 其他); id_number holds its number in the one
-- written form of identity_normalize. Numbers stored before this version were resident ID
-- numbers. Phones stored before it were already in the stored form of phone_normalize (the
-- earlier check accepted only 11-digit mobiles and AREA-NUMBER[-EXT] landlines), so they stay.
ALTER TABLE petitioners ADD COLUMN id_type TEXT NOT NULL DEFAULT '';
UPDATE petitioners SET id_type = '居民身份证' WHERE id_number <> '';
