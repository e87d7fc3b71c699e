// SPDX-License-Identifier: GPL-2.0
/*
 * devcred: a store for a device's TLS credentials on a dedicated flash
 * partition.
 *
 * The store binds to one MTD partition, either from the device tree
 * (a partition node with compatible "devcred,credential-store") or, on boards
 * without one, from the "mtd" module parameter naming the MTD device. It is
 * reached through the misc device /dev/devcred (mode 0600).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/mtd/mtd.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "compat.h"

static char *mtd_name;
module_param_named(mtd, mtd_name, charp, 0444);
MODULE_PARM_DESC(mtd,
		 "MTD device (name or number) to bind to, for boards without a device tree partition");

/**
 * struct devcred - one credential store
 * @mtd:  the partition, referenced with get_mtd_device() for our lifetime
 * @misc: /dev/devcred
 */
struct devcred {
	struct mtd_info *mtd;
	struct miscdevice misc;
};

/*
 * There is a single /dev/devcred, so at most one store: the first partition
 * to bind wins and later ones are refused. Protects devcred_store.
 */
static DEFINE_MUTEX(devcred_store_lock);
static struct devcred *devcred_store;

static long devcred_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations devcred_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = devcred_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* Takes over the reference on @mtd, also when it fails. */
static int devcred_attach(struct mtd_info *mtd, struct device *parent)
{
	struct devcred *dc;
	int ret;

	mutex_lock(&devcred_store_lock);
	if (devcred_store) {
		pr_err("%s: already bound to %s; one store per system\n",
		       mtd->name, devcred_store->mtd->name);
		ret = -EBUSY;
		goto err_put;
	}

	dc = kzalloc(sizeof(*dc), GFP_KERNEL);
	if (!dc) {
		ret = -ENOMEM;
		goto err_put;
	}
	dc->mtd = mtd;
	dc->misc.minor = MISC_DYNAMIC_MINOR;
	dc->misc.name = "devcred";
	dc->misc.fops = &devcred_fops;
	dc->misc.mode = 0600;
	dc->misc.parent = parent;

	ret = misc_register(&dc->misc);
	if (ret)
		goto err_free;

	devcred_store = dc;
	mutex_unlock(&devcred_store_lock);

	pr_info("bound to mtd%d \"%s\": size %llu, erase size %u, write size %u%s\n",
		mtd->index, mtd->name, (unsigned long long)mtd->size,
		mtd->erasesize, mtd->writesize,
		(mtd->flags & MTD_WRITEABLE) ? "" : ", read-only");
	return 0;

err_free:
	kfree(dc);
err_put:
	mutex_unlock(&devcred_store_lock);
	put_mtd_device(mtd);
	return ret;
}

static void devcred_detach(void)
{
	struct devcred *dc;

	mutex_lock(&devcred_store_lock);
	dc = devcred_store;
	devcred_store = NULL;
	mutex_unlock(&devcred_store_lock);
	if (!dc)
		return;

	misc_deregister(&dc->misc);
	put_mtd_device(dc->mtd);
	kfree(dc);
}

static int devcred_probe(struct platform_device *pdev)
{
	struct mtd_info *mtd;

	mtd = of_get_mtd_device_by_node(pdev->dev.of_node);
	if (IS_ERR(mtd))
		return dev_err_probe(&pdev->dev, PTR_ERR(mtd),
				     "no MTD partition for %pOF\n",
				     pdev->dev.of_node);

	return devcred_attach(mtd, &pdev->dev);
}

static void devcred_remove(struct platform_device *pdev)
{
	devcred_detach();
}

static const struct of_device_id devcred_of_match[] = {
	{ .compatible = "devcred,credential-store" },
	{ }
};
MODULE_DEVICE_TABLE(of, devcred_of_match);

static struct platform_driver devcred_driver = {
	.probe = devcred_probe,
	DEVCRED_PLATFORM_REMOVE(devcred_remove),
	.driver = {
		.name = "devcred",
		.of_match_table = devcred_of_match,
	},
};

/* The "mtd" parameter: a decimal MTD number, or an MTD name. */
static struct mtd_info *devcred_get_mtd_by_param(const char *param)
{
	unsigned int num;

	if (!kstrtouint(param, 10, &num))
		return get_mtd_device(NULL, num);
	return get_mtd_device_nm(param);
}

static int __init devcred_init(void)
{
	struct mtd_info *mtd;
	int ret;

	if (mtd_name) {
		mtd = devcred_get_mtd_by_param(mtd_name);
		if (IS_ERR(mtd)) {
			pr_err("mtd=%s: no such MTD device (%ld)\n", mtd_name,
			       PTR_ERR(mtd));
			return PTR_ERR(mtd);
		}
		ret = devcred_attach(mtd, NULL);
		if (ret)
			return ret;
	}

	ret = platform_driver_register(&devcred_driver);
	if (ret)
		devcred_detach();
	return ret;
}
module_init(devcred_init);

static void __exit devcred_exit(void)
{
	platform_driver_unregister(&devcred_driver);
	devcred_detach();
}
module_exit(devcred_exit);

MODULE_DESCRIPTION("Flash-backed store for a device's TLS credentials");
MODULE_LICENSE("GPL");
